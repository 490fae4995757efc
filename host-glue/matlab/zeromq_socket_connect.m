function zeromq_socket_connect(id, endpoint)
%ZEROMQ_SOCKET_CONNECT Connect a generic socket to an endpoint.
%   zeromq_socket_connect(id, endpoint)
%
%   A socket may connect to several endpoints; the connection is made in the background.
%
%   See also zeromq_socket_disconnect.
zeromq_mex('socket_connect', id, endpoint);
end
