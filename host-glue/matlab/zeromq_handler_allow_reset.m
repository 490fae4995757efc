function zeromq_handler_allow_reset(varargin)
%ZEROMQ_HANDLER_ALLOW_RESET Let remote clients call every function again.
%   zeromq_handler_allow_reset()
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('handler_allow_reset', varargin{:});
end
