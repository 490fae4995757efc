function zeromq_server_bind(varargin)
%ZEROMQ_SERVER_BIND Bind the server (ROUTER) socket to an endpoint.
%   zeromq_server_bind(localPoint)
%
%   localPoint is a ZeroMQ endpoint such as 'tcp://127.0.0.1:5670' ('tcp://127.0.0.1:*'
%   picks a free port; zeromq_endpoints('server') tells which). May be called several
%   times with different endpoints. Host names are not accepted for binding.
%   Start zeromq_handler_start afterwards to serve remote calls.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('server_bind', varargin{:});
end
