function value = zeromq_socket_get_option(id, option, class_name)
%ZEROMQ_SOCKET_GET_OPTION Read an option of a generic socket.
%   value = zeromq_socket_get_option(id, option)
%   value = zeromq_socket_get_option(id, option, 'uint8')
%
%   option as in zeromq_socket_set_option. Integer options come back as a double (64-bit
%   ones as int64), byte options as text, or as uint8 with 'uint8' (binary identities).
%     ep = zeromq_socket_get_option(rep, 'LAST_ENDPOINT');
%     t = zeromq_socket_get_option(rep, 'TYPE');          % 4 for REP
if nargin < 3
  value = zeromq_mex('socket_get_option', id, option);
else
  value = zeromq_mex('socket_get_option', id, option, class_name);
end
end
