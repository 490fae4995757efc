function list = zeromq_socket_endpoints(id)
%ZEROMQ_SOCKET_ENDPOINTS Endpoints a generic socket is bound or connected to.
%   list = zeromq_socket_endpoints(id)
%
%   A cell row of char, in order; binds resolved (a wildcard bind shows its port).
list = zeromq_mex('socket_endpoints', id);
end
