function r = zmqtest_fail(what)
% Remote-call test function: raises an error.
r = 0;
error('zmqtest:fail', 'Failure: %s', what);
end
