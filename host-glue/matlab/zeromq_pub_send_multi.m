function zeromq_pub_send_multi(varargin)
%ZEROMQ_PUB_SEND_MULTI Publish a multi-frame message.
%   zeromq_pub_send_multi(frames)
%
%   frames is a cell vector {filter, payload, frame3, ...}: the first two elements are
%   text, each further element is text or a full numeric or logical array whose raw
%   bytes (column-major, native byte order, complex values interleaved re/im) become
%   the frame. Example, an int16 image frame with a header:
%     zeromq_pub_send_multi({'frames', 'image', int16(img), [512 512 1 t n]})
%   Anything else raises zeromq:INVALID_TYPE.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('pub_send_multi', varargin{:});
end
