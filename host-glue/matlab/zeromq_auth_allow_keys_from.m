function count = zeromq_auth_allow_keys_from(varargin)
%ZEROMQ_AUTH_ALLOW_KEYS_FROM Accept the CURVE clients whose certificates are in a folder.
%   count = zeromq_auth_allow_keys_from(folder)
%
%   Reads the public key of every *.key certificate file in folder (as pyzmq's
%   zmq.auth.load_certificates) and allows them; returns how many.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
count = zeromq_mex('auth_allow_keys_from', varargin{:});
end
