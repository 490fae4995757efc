function id = zeromq_role_socket(role)
%ZEROMQ_ROLE_SOCKET Id of a role socket, for zeromq_poll.
%   id = zeromq_role_socket(role)
%
%   role: 'client', 'server', 'publisher' or 'subscriber'. 0 when the role has no socket
%   yet (or after zeromq_stop). The role functions keep sending and receiving on it; the id
%   lets zeromq_poll wait on it together with generic sockets.
id = zeromq_mex('role_socket', role);
end
