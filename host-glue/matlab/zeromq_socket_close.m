function zeromq_socket_close(id)
%ZEROMQ_SOCKET_CLOSE Close a generic socket.
%   zeromq_socket_close(id)
%
%   Pending output is kept for the socket's LINGER option (libzmq's default: until it is
%   delivered; set zeromq_socket_set_option(id, 'LINGER', 0) to drop it). The id is stale
%   afterwards: using it again raises zeromq:CLOSED.
zeromq_mex('socket_close', id);
end
