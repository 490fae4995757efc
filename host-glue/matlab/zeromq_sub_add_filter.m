function zeromq_sub_add_filter(varargin)
%ZEROMQ_SUB_ADD_FILTER Subscribe to messages whose first frame starts with filter.
%   zeromq_sub_add_filter(filter)
%
%   '' subscribes to everything. Adding the same filter twice raises
%   zeromq:MESSAGE_FILTER_DUPLICATED.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('sub_add_filter', varargin{:});
end
