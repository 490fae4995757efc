function s = zmqtest_add(a, b)
% Remote-call test function: the sum of two numbers (a scalar result).
s = a + b;
end
