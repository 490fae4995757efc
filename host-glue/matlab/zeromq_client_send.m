function zeromq_client_send(varargin)
%ZEROMQ_CLIENT_SEND Send a message from the client socket.
%   zeromq_client_send(msg)
%
%   msg is text, typically a CallFunction request, for example
%     zeromq_client_send('{"version": 1, "CallFunction": {"name": "myFunc", "params": [1, "a"]}}')
%   Raises zeromq:INVALID_ARG when the client was never connected.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('client_send', varargin{:});
end
