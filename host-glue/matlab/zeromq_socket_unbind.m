function zeromq_socket_unbind(id, endpoint)
%ZEROMQ_SOCKET_UNBIND Stop listening on one endpoint of a generic socket.
%   zeromq_socket_unbind(id, endpoint)
%
%   endpoint as bound, or as resolved (a wildcard bind is unbound by the endpoint
%   zeromq_socket_bind returned). Other sockets and binds are not touched, so a port search
%   can try ports one by one.
zeromq_mex('socket_unbind', id, endpoint);
end
