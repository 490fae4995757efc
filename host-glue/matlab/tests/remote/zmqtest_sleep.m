function r = zmqtest_sleep(seconds)
% Remote-call test function: waits, then returns the number of seconds.
pause(seconds);
r = seconds;
end
