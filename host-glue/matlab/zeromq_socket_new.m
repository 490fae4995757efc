function id = zeromq_socket_new(type)
%ZEROMQ_SOCKET_NEW Create a socket of any ZeroMQ type.
%   id = zeromq_socket_new(type)
%
%   type is a name ('PAIR', 'PUB', 'SUB', 'REQ', 'REP', 'DEALER', 'ROUTER', 'PULL', 'PUSH',
%   'XPUB', 'XSUB', 'STREAM'; any case, 'ZMQ_' prefix allowed) or libzmq's number (0..11).
%   Returns the socket's id, a number that is never used again in this session: after
%   zeromq_socket_close (or zeromq_shutdown) the id raises zeromq:CLOSED. Generic sockets are
%   independent of the role sockets and of zeromq_stop; several of any type may exist.
%
%   Example (a REP endpoint beside the remote-call server):
%     rep = zeromq_socket_new('REP');
%     zeromq_socket_bind(rep, 'tcp://127.0.0.1:5680');
%     req = zeromq_socket_recv(rep, 1000);          % {} when nothing came within 1 s
%     if ~isempty(req), zeromq_socket_send(rep, 'alive'); end
%
%   See also zeromq_socket_close, zeromq_socket_send, zeromq_socket_recv, zeromq_poll.
id = zeromq_mex('socket_new', type);
end
