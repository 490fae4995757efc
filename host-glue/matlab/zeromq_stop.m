function zeromq_stop(varargin)
%ZEROMQ_STOP Stop the message handler and close every socket.
%   zeromq_stop()
%
%   Stops the handler (as zeromq_handler_stop), removes all subscription filters, then
%   unbinds/disconnects and closes the client, subscriber, publisher and server sockets.
%   The next call to any zeromq_* function creates fresh sockets. Queued remote calls
%   that have not run yet are dropped; settings made with zeromq_set are kept.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('stop', varargin{:});
zeromq_mex_driver('remove');
end
