function s = zmqtest_greet(name)
% Remote-call test function: a greeting (a string result).
s = ['Hello, ' name '!'];
end
