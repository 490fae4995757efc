function zeromq_auth_reset(varargin)
%ZEROMQ_AUTH_RESET Remove every address and key rule.
%   zeromq_auth_reset()
%
%   Connections are no longer checked (the default).
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('auth_reset', varargin{:});
end
