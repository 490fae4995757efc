function zeromq_sub_remove_filter(varargin)
%ZEROMQ_SUB_REMOVE_FILTER Remove a subscription filter.
%   zeromq_sub_remove_filter(filter)
%
%   '' removes every filter. A filter that was never added raises
%   zeromq:MESSAGE_FILTER_MISSING.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('sub_remove_filter', varargin{:});
end
