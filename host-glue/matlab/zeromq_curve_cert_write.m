function zeromq_curve_cert_write(varargin)
%ZEROMQ_CURVE_CERT_WRITE Write keys as a certificate file.
%   zeromq_curve_cert_write(file, public_key)
%   zeromq_curve_cert_write(file, public_key, secret_key)
%
%   Writes a public certificate, or a secret one (readable by its owner only) when the
%   secret key is given; it must belong to the public key. The format is pyzmq's.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('curve_cert_write', varargin{:});
end
