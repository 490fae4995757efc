"""zeromq_xop: a Python client for zeromq-xop hosts (Igor Pro, MATLAB/Octave, C programs) and
the reference ZeroMQ XOP.

    from zeromq_xop import Client
    with Client("tcp://127.0.0.1:5670", timeout=5) as c:
        c.call("add", 1, 2)                 # 3.0
        m = c.call("matrix", 1000, 1000)    # numpy array (Wave), shape (1000, 1000)
        c.call("wave_sum", np.ones(10))     # arrays go in as waves

See :class:`Client`, :class:`CallError`, :class:`Wave` and :class:`Subscriber`.
"""

from .client import CallError, CallTimeout, Client
from .subscriber import Message, Subscriber
from .waves import Wave

__all__ = ["Client", "CallError", "CallTimeout", "Wave", "Subscriber", "Message"]
__version__ = "0.1.0"
