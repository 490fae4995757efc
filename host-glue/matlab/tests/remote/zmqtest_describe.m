function [cls, sz, cplx, value] = zmqtest_describe(x)
% Remote-call test function: the class, size and complexity of the parameter as it arrived,
% and the parameter itself (sent back as it is).
cls = class(x);
sz = size(x);
cplx = double(isnumeric(x) && ~isreal(x));
value = x;
end
