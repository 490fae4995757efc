function [msg, filter] = zeromq_sub_recv(varargin)
%ZEROMQ_SUB_RECV Receive a two-frame message on the subscriber socket.
%   [msg, filter] = zeromq_sub_recv()
%
%   Returns the payload and the filter frame as text. Waits like zeromq_client_recv
%   (queued remote calls keep running; Ctrl-C returns ''). Messages with more than two
%   frames raise zeromq:INVALID_MESSAGE_FORMAT; use zeromq_sub_recv_multi for those.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
[msg, filter] = zeromq_mex('sub_recv', varargin{:});
end
