function [public_key, secret_key] = zeromq_curve_cert_read(varargin)
%ZEROMQ_CURVE_CERT_READ Read the keys of a certificate file.
%   [public_key, secret_key] = zeromq_curve_cert_read(file)
%
%   file is a certificate written by pyzmq (zmq.auth.create_certificates), czmq or
%   zeromq_curve_cert_create: NAME.key holds the public key only (secret_key is then
%   ''), NAME.key_secret both. A missing or broken file raises zeromq:INVALID_CERTIFICATE.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
[public_key, secret_key] = zeromq_mex('curve_cert_read', varargin{:});
end
