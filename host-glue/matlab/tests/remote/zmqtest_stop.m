function r = zmqtest_stop()
% Remote-call test function: ends the serving loop of serve_calls.m.
global zmqtest_stop_requested
zmqtest_stop_requested = true;
r = 1;
end
