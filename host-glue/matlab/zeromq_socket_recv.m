function frames = zeromq_socket_recv(id, varargin)
%ZEROMQ_SOCKET_RECV Receive one whole message on a generic socket.
%   frames = zeromq_socket_recv(id)
%   frames = zeromq_socket_recv(id, timeout_ms)
%   frames = zeromq_socket_recv(id, timeout_ms, types)
%
%   Returns a 1xN cell array with one element per frame of the multipart message; {} when
%   nothing arrived within timeout_ms (-1, the default, waits until a message arrives or
%   Ctrl-C; queued remote calls run meanwhile; 0 looks once).
%
%   By default every frame is a char row (UTF-8 text). types chooses the class: one name
%   for all frames ('uint8' for binary frames such as ROUTER identities) or a cell array,
%   one per frame, the last one holding for the frames after it: 'char', 'double',
%   'single', 'int8' ... 'uint64', 'logical'. Numeric frames become column vectors; a frame
%   whose size is not a multiple of the element size raises zeromq:INVALID_TYPE.
%     msg = zeromq_socket_recv(router, 1000, {'uint8', 'char'});   % {identity, '', text}
frames = zeromq_mex('socket_recv', id, varargin{:});
end
