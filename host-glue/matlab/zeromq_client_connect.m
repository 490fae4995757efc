function zeromq_client_connect(varargin)
%ZEROMQ_CLIENT_CONNECT Connect the client (DEALER) socket to a server.
%   zeromq_client_connect(remotePoint)
%
%   remotePoint is an endpoint such as 'tcp://127.0.0.1:5670'; host names are fine.
%   Connecting several times adds connections (messages are sent round-robin).
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('client_connect', varargin{:});
end
