function zeromq_auth_allow(varargin)
%ZEROMQ_AUTH_ALLOW Accept connections from an IP address or CIDR block only.
%   zeromq_auth_allow(address)
%
%   address is e.g. '192.168.1.7', '10.0.0.0/8', '::1' or 'fe80::/10'. Once any address
%   is allowed, connections from all others are refused (and logged). Applies to the
%   server and publisher sockets and to every CURVE handshake, for connections made from
%   now on. Bad text raises zeromq:INVALID_ADDRESS.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('auth_allow', varargin{:});
end
