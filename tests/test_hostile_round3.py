"""Hostile input, round 3: where the tool writes, and what it does with extreme input.

One section per numbered finding of the third hostile-input review (outputs that never destroy,
never alias, never split). Each test failed on the code before its fix. Outputs are tested with FIFOs,
device nodes and symbolic links made inside the test's own temporary folder: never with the real
`/dev/null` or any other device of the machine.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
