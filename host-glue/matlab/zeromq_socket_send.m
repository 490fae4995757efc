function zeromq_socket_send(id, frames, timeout_ms)
%ZEROMQ_SOCKET_SEND Send one whole message on a generic socket.
%   zeromq_socket_send(id, frames)
%   zeromq_socket_send(id, frames, timeout_ms)
%
%   frames is one frame or a cell array of frames; a frame is text (a char row, sent as
%   UTF-8) or a full numeric or logical array (its bytes, column-major). All frames go as
%   one multipart message. Examples:
%     zeromq_socket_send(push, 'one frame');
%     zeromq_socket_send(router, {identity, '', 'reply'});   % identity as received (uint8)
%     zeromq_socket_send(pub, {'data', int16(image)});
%
%   timeout_ms: -1 (default) waits until the message can be queued (queued remote calls
%   run meanwhile; Ctrl-C stops waiting), 0 tries once, > 0 waits at most that long. Not
%   queued in time (no peer, or its queue is full): zeromq:TIMEOUT.
if nargin < 3
  zeromq_mex('socket_send', id, frames);
else
  zeromq_mex('socket_send', id, frames, timeout_ms);
end
end
