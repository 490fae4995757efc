function zeromq_handler_stop(varargin)
%ZEROMQ_HANDLER_STOP Stop serving remote calls.
%   zeromq_handler_stop()
%
%   Stops the message handler and removes the idle driver. Calling it when the handler
%   is not running is fine.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('handler_stop', varargin{:});
zeromq_mex_driver('remove');
end
