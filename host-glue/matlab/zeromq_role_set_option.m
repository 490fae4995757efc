function zeromq_role_set_option(varargin)
%ZEROMQ_ROLE_SET_OPTION Set a libzmq option on a socket of the library.
%   zeromq_role_set_option(role, option, value)
%
%   role is 'client', 'server', 'publisher' or 'subscriber'; option a name such as
%   'CURVE_SERVER', 'CURVE_SECRETKEY', 'CURVE_SERVERKEY', 'CURVE_PUBLICKEY', 'LINGER',
%   'SNDHWM', 'ZAP_DOMAIN' (or libzmq's number); value a number or text (keys as Z85
%   text). The option is kept across zeromq_stop and applied to the role's socket now
%   and whenever it is created again. CURVE server:
%     zeromq_role_set_option('server', 'CURVE_SERVER', 1);
%     zeromq_role_set_option('server', 'CURVE_SECRETKEY', secret_key);
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_KEY); see also the Contents of this folder and the README's
%   "Security" section.
zeromq_mex('role_set_option', varargin{:});
end
