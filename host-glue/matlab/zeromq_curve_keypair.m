function [public_key, secret_key] = zeromq_curve_keypair(varargin)
%ZEROMQ_CURVE_KEYPAIR A new CURVE key pair, as Z85 text.
%   [public_key, secret_key] = zeromq_curve_keypair()
%
%   Both keys are 40-character char rows. Give the public key to the peers; keep the
%   secret key secret (zeromq_curve_cert_create writes both to certificate files).
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
[public_key, secret_key] = zeromq_mex('curve_keypair', varargin{:});
end
