function c = zmqtest_classof(x)
% Remote-call test function: the class of the parameter as it arrived.
c = class(x);
end
