function zeromq_pub_send(varargin)
%ZEROMQ_PUB_SEND Publish a text message under a filter (topic).
%   zeromq_pub_send(filter, msg)
%
%   Subscribers whose filter is a prefix of filter receive [filter, msg]. Without any
%   subscriber the message is dropped, which is not an error.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('pub_send', varargin{:});
end
