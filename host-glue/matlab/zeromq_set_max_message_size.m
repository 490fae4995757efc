function zeromq_set_max_message_size(varargin)
%ZEROMQ_SET_MAX_MESSAGE_SIZE Set the largest request the server socket accepts.
%   zeromq_set_max_message_size(bytes)
%
%   The default is 1024 bytes (compatible with the Igor Pro XOP); a peer sending a larger
%   message is disconnected by libzmq. -1 removes the limit.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set_max_message_size', varargin{:});
end
