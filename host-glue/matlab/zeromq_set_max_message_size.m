function zeromq_set_max_message_size(varargin)
%ZEROMQ_SET_MAX_MESSAGE_SIZE Set the largest request the server socket accepts.
%   zeromq_set_max_message_size(bytes)
%
%   The default is 1024 bytes (compatible with the Igor Pro XOP). A larger request is not
%   run: its client gets a reply with errorCode 8 and a msg naming both sizes. The limit
%   takes effect at once, also on a bound server. -1 removes the limit; -1 or a limit over
%   64 MiB on a bound server raises zeromq:INVALID_ARG (zeromq_stop, set it, bind again).
%
%     zeromq_set_max_message_size(1e6);   % accept requests up to 1 MB
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set_max_message_size', varargin{:});
end
