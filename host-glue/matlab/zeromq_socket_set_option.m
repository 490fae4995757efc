function zeromq_socket_set_option(id, option, value)
%ZEROMQ_SOCKET_SET_OPTION Set an option of a generic socket.
%   zeromq_socket_set_option(id, option, value)
%
%   option is a name as libzmq spells it without ZMQ_ ('LINGER', 'SNDHWM', 'RCVHWM',
%   'SUBSCRIBE', 'UNSUBSCRIBE', 'ROUTING_ID', 'RCVTIMEO', 'MAXMSGSIZE', 'CURVE_SERVER',
%   'CURVE_SECRETKEY', 'XPUB_VERBOSE', 'CONFLATE', ...; any case) or libzmq's number.
%   Integer options take a number, byte options (SUBSCRIBE, ROUTING_ID, keys, ...) text or
%   uint8. Unknown option or a value libzmq refuses: zeromq:INVALID_ARG.
%     zeromq_socket_set_option(sub, 'SUBSCRIBE', '');     % everything
%     zeromq_socket_set_option(push, 'SNDHWM', 10);
zeromq_mex('socket_set_option', id, option, value);
end
