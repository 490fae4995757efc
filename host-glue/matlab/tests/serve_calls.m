function serve_calls()
% Serves remote calls for octave_tests.py: binds the server to $ZMQTEST_ENDPOINT, prints
% "ENDPOINT <resolved endpoint>", then runs calls until zmqtest_stop is called (at most
% $ZMQTEST_SECONDS seconds, default 120). $ZMQTEST_MAX_MESSAGE_SIZE, if set, is the server's
% inbound size limit (-1: none).
global zmqtest_stop_requested
zmqtest_stop_requested = false;
seconds = str2double(getenv('ZMQTEST_SECONDS'));
if isnan(seconds)
  seconds = 120;
end
limit = str2double(getenv('ZMQTEST_MAX_MESSAGE_SIZE'));
if ~isnan(limit)
  zeromq_set_max_message_size(limit);
end
zeromq_server_bind(getenv('ZMQTEST_ENDPOINT'));
endpoints = zeromq_endpoints('server');
zeromq_handler_start();
fprintf('ENDPOINT %s\n', endpoints{1});
fflush(stdout);
started = tic;
served = 0;
while ~zmqtest_stop_requested && toc(started) < seconds
  served = served + zeromq_handler_process(0.2);
end
zeromq_handler_stop();
zeromq_stop();
zmqtest_check(zmqtest_stop_requested, sprintf('stopped by the client after %d calls', served));
end
