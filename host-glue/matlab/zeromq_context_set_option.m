function zeromq_context_set_option(option, value)
%ZEROMQ_CONTEXT_SET_OPTION Set an option of the library's ZeroMQ context.
%   zeromq_context_set_option(option, value)
%
%   option: 'IO_THREADS', 'MAX_SOCKETS', 'THREAD_PRIORITY', 'THREAD_SCHED_POLICY',
%   'MAX_MSGSZ', 'IPV6', 'BLOCKY', ... or libzmq's number. IO_THREADS, MAX_SOCKETS and the
%   thread options must be set before the library's first socket exists (right after
%   loading, or after a shutdown); later they raise zeromq:INVALID_ARG.
zeromq_mex('context_set_option', option, value);
end
