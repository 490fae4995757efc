function zeromq_handler_start(varargin)
%ZEROMQ_HANDLER_START Start serving remote calls on the bound server socket.
%   zeromq_handler_start()
%
%   Needs a zeromq_server_bind first (else zeromq:HANDLER_NO_CONNECTION); a second start
%   raises zeromq:HANDLER_ALREADY_RUNNING. Clients send CallFunction requests:
%     {"version": 1, "CallFunction": {"name": "myFunc", "params": [3, "text", true]}}
%   and the named function on the path runs like feval in this session: JSON strings
%   arrive as char, numbers as double, true/false as logical. It is called with
%   nargout(name) outputs; several outputs give a multiple-result reply. Results: a
%   real scalar is a variable, a char row a string, numeric or logical arrays (any class,
%   real or complex, up to 4-D) a wave of that type, a cell array of char a text wave,
%   any other cell array a wave-reference wave. Errors: unknown function 101, too few or
%   too many inputs 102/103, unsupported result 105, an error inside the function 107
%   with its message in the reply's history.
%
%   Calls run when the session is idle: Octave runs them from an input event hook while
%   it waits at the prompt, MATLAB from a timer. While a script runs they run inside
%   blocking receives and zeromq_handler_process. Anyone who can reach the endpoint can
%   run any function on the path: bind to 127.0.0.1 unless the network is trusted.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('handler_start', varargin{:});
zeromq_mex_driver('install');
end
