function zeromq_auth_allow_key(varargin)
%ZEROMQ_AUTH_ALLOW_KEY Accept the CURVE client with this public key.
%   zeromq_auth_allow_key(public_key)
%
%   Once any key is listed, CURVE clients with other keys are refused (and logged).
%   Without a list any client that completes the CURVE handshake is accepted.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('auth_allow_key', varargin{:});
end
