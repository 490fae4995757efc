function frames = zeromq_sub_recv_multi(varargin)
%ZEROMQ_SUB_RECV_MULTI Receive a message of two or more frames on the subscriber socket.
%   frames = zeromq_sub_recv_multi([types])
%
%   Returns a 1xN cell array with one element per frame. By default frames 1 and 2 are
%   char and later frames uint8 column vectors of their bytes. types, a cell array of
%   class names ('char', 'double', 'single', 'int8' ... 'uint64', 'logical'), chooses
%   the class of frame i; numeric frames become column vectors of that class. ScanImage
%   frames (a 40-byte header of 5 doubles, then int16 pixels):
%     f = zeromq_sub_recv_multi({'double', 'int16'});
%     img = reshape(f{2}, f{1}(1), f{1}(2), f{1}(3));
%   A frame whose size is not a multiple of its element size raises
%   zeromq:INVALID_TYPE. Nothing received (Ctrl-C, or no message with
%   zeromq_set('NOBUSYWAITRECV')): {}.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
frames = zeromq_mex('sub_recv_multi', varargin{:});
end
