"""Internal readouts of local models: what the model's internals say about its answer.

A run with ``readouts`` on stores, for every answered turn with options, the
option log-likelihoods (in the sample's record) and, for a truth probe, the
hidden states at the end of each option stated as the assistant's answer (in
``RUN_DIR/readouts/``, see :mod:`evalkit.readouts.arrays`). numpy and
safetensors are imported only when arrays are written or read.
"""

from __future__ import annotations

from evalkit.readouts.arrays import ReadoutStore, SampleStates

#: The assistant's statement of an option; the probe reads the states at its last token.
STATEMENT = "The answer is {option}."

__all__ = ["STATEMENT", "ReadoutStore", "SampleStates"]
