function zeromq_auth_deny(varargin)
%ZEROMQ_AUTH_DENY Refuse connections from an IP address or CIDR block.
%   zeromq_auth_deny(address)
%
%   A denial wins over an allowed block that contains the same address. Bad text
%   raises zeromq:INVALID_ADDRESS.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('auth_deny', varargin{:});
end
