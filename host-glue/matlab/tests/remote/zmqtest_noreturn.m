function zmqtest_noreturn()
% Remote-call test function: no outputs.
end
