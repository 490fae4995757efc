function [public_key, secret_key] = zeromq_curve_cert_create(varargin)
%ZEROMQ_CURVE_CERT_CREATE Make a key pair and write it as certificate files.
%   [public_key, secret_key] = zeromq_curve_cert_create(folder, name)
%
%   Writes folder/name.key (the public key) and folder/name.key_secret (both keys,
%   readable by its owner only) in the format of pyzmq's
%   zmq.auth.create_certificates(folder, name), and returns the keys as Z85 text.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
[public_key, secret_key] = zeromq_mex('curve_cert_create', varargin{:});
end
