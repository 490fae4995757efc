function zeromq_sub_connect(varargin)
%ZEROMQ_SUB_CONNECT Connect the subscriber (SUB) socket to a publisher.
%   zeromq_sub_connect(remotePoint)
%
%   Nothing is received until a filter is added with zeromq_sub_add_filter.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('sub_connect', varargin{:});
end
