function zeromq_server_send(varargin)
%ZEROMQ_SERVER_SEND Send a message to one client of the server socket.
%   zeromq_server_send(identity, msg)
%
%   identity is the routing identity returned by zeromq_server_recv; msg is text.
%   An unknown or disconnected identity raises zeromq:INVALID_ARG.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('server_send', varargin{:});
end
