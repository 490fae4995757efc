function zeromq_socket_disconnect(id, endpoint)
%ZEROMQ_SOCKET_DISCONNECT Disconnect a generic socket from one endpoint.
%   zeromq_socket_disconnect(id, endpoint)
zeromq_mex('socket_disconnect', id, endpoint);
end
