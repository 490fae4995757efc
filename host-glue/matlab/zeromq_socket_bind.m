function endpoint = zeromq_socket_bind(id, endpoint)
%ZEROMQ_SOCKET_BIND Bind a generic socket to an endpoint.
%   endpoint = zeromq_socket_bind(id, endpoint)
%
%   Returns the resolved endpoint: 'tcp://127.0.0.1:*' binds a free port and returns e.g.
%   'tcp://127.0.0.1:40123'. Raises zeromq:INVALID_ARG when the bind fails (address in use,
%   bad endpoint), zeromq:CLOSED for a stale id.
%
%   See also zeromq_socket_unbind, zeromq_socket_endpoints.
endpoint = zeromq_mex('socket_bind', id, endpoint);
end
