function public_key = zeromq_curve_public(varargin)
%ZEROMQ_CURVE_PUBLIC The public key that belongs to a CURVE secret key.
%   public_key = zeromq_curve_public(secret_key)
%
%   secret_key is 40 characters of Z85 text; a bad key raises zeromq:INVALID_KEY.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
public_key = zeromq_mex('curve_public', varargin{:});
end
