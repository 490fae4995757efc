function value = zeromq_context_get_option(option)
%ZEROMQ_CONTEXT_GET_OPTION Read an option of the library's ZeroMQ context.
%   value = zeromq_context_get_option(option)
%
%   option: 'IO_THREADS', 'MAX_SOCKETS', 'SOCKET_LIMIT', 'MAX_MSGSZ', 'MSG_T_SIZE', 'IPV6',
%   'BLOCKY', or libzmq's number.
value = zeromq_mex('context_get_option', option);
end
