function [twice, text, matrix] = zmqtest_multi(x)
% Remote-call test function: three outputs (a multiple-return reply).
twice = 2 * x;
text = sprintf('x=%g', x);
matrix = [1 2; 3 4] * x;
end
