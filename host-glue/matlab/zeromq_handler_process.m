function n = zeromq_handler_process(varargin)
%ZEROMQ_HANDLER_PROCESS Run queued remote calls now.
%   n = zeromq_handler_process([timeout])
%
%   Runs every call that has arrived and returns how many ran. With timeout (seconds)
%   it first waits up to that long for a call when none is queued (Ctrl-C ends the wait).
%   Scripts that serve calls without returning to the prompt loop on it:
%     zeromq_server_bind('tcp://127.0.0.1:5670'); zeromq_handler_start();
%     while true, zeromq_handler_process(1); end
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
n = zeromq_mex('process', varargin{:});
end
